"""A read-only HL7 FHIR R4 REST server at /fhir/: CapabilityStatement, Location, Organization (the registry),
MeasureReport (stored capacity reports, SANER style), Measure and CodeSystem (the definitions they refer to).

Same sign-in as the JSON API (a session or `Authorization: Bearer <token>`) and the same policy: Location and
Organization need view_facility, MeasureReport view_board. `metadata`, Measure and CodeSystem hold no data and
are public, as FHIR clients fetch them before signing in. Searches answer Bundle `searchset`s; bad searches,
unknown ids and refusals answer an OperationOutcome (400, 404, 401, 403), all as application/fhir+json.
"""
