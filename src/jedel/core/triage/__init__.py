"""Mass-casualty triage: START, JumpSTART, SALT and the Sacco RPM score.

Pure functions of one frozen :class:`Findings`; no Django, no I/O beyond the shipped RPM table.

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

__all__ = [
    "AVPU_LEVELS",
    "JUMPSTART_MAX_AGE_YEARS",
    "METHODS",
    "MODIFIED_START_RR_LOW_PER_MIN",
    "RPM_CODING_STATUS",
    "RPM_MAX",
    "AssessMethod",
    "Assessment",
    "Category",
    "Findings",
    "InvalidFinding",
    "MethodName",
    "PerfusionCheck",
    "RpmAssessment",
    "RpmCoding",
    "assess",
    "code_gcs_motor",
    "code_pulse_rate",
    "code_respiratory_rate",
    "jumpstart",
    "load_rpm_coding",
    "rpm_assess",
    "rpm_score",
    "salt",
    "start",
]
