"""Mass-casualty triage: START, JumpSTART, SALT and the Sacco RPM score.

Pure functions of one frozen :class:`Findings`; no Django, no I/O beyond the shipped RPM table.
JSON in and out (the seam for the CLI and the web apps): :mod:`jedel.core.triage.io`.

Example:
    >>> from jedel.core.triage import Findings, assess
    >>> f = Findings(can_walk=False, breathing=True, respiratory_rate_per_min=34)
    >>> assess(f, "start").rule
    'START: not walking → breathing → RR 34/min > 30 → IMMEDIATE'
"""

from jedel.core.triage.auto import JUMPSTART_MAX_AGE_YEARS, METHODS, AssessMethod, assess
from jedel.core.triage.findings import (
    AVPU_LEVELS,
    Assessment,
    Category,
    Findings,
    InvalidFinding,
    MethodName,
)
from jedel.core.triage.io import (
    TRIAGE_METHODS,
    AssessmentOut,
    FindingsIn,
    RpmOut,
    TriageMethod,
    TriageOptionsIn,
    TriageOut,
    TriageRequest,
    check_method,
    findings_from_json,
    findings_to_json,
    request_from_json,
    request_json_schema,
    result_json_schema,
    result_out,
    result_to_json,
    run_triage,
)
from jedel.core.triage.jumpstart_triage import jumpstart
from jedel.core.triage.rpm import (
    RPM_CODING_STATUS,
    RPM_MAX,
    RpmAssessment,
    RpmCoding,
    code_gcs_motor,
    code_pulse_rate,
    code_respiratory_rate,
    load_rpm_coding,
    rpm_assess,
    rpm_score,
)
from jedel.core.triage.salt_triage import salt
from jedel.core.triage.start_triage import MODIFIED_START_RR_LOW_PER_MIN, PerfusionCheck, start
from jedel.core.vocabulary import TriageCategory

__all__ = [
    "AVPU_LEVELS",
    "JUMPSTART_MAX_AGE_YEARS",
    "METHODS",
    "MODIFIED_START_RR_LOW_PER_MIN",
    "RPM_CODING_STATUS",
    "RPM_MAX",
    "TRIAGE_METHODS",
    "AssessMethod",
    "Assessment",
    "AssessmentOut",
    "Category",
    "Findings",
    "FindingsIn",
    "InvalidFinding",
    "MethodName",
    "PerfusionCheck",
    "RpmAssessment",
    "RpmCoding",
    "RpmOut",
    "TriageCategory",
    "TriageMethod",
    "TriageOptionsIn",
    "TriageOut",
    "TriageRequest",
    "assess",
    "check_method",
    "code_gcs_motor",
    "code_pulse_rate",
    "code_respiratory_rate",
    "findings_from_json",
    "findings_to_json",
    "jumpstart",
    "load_rpm_coding",
    "request_from_json",
    "request_json_schema",
    "result_json_schema",
    "result_out",
    "result_to_json",
    "rpm_assess",
    "rpm_score",
    "run_triage",
    "salt",
    "start",
]
