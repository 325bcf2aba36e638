"""Writes of the preparedness app: instruments, assessments and ratings, remediation tasks."""
