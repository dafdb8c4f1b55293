"""Key task groups (nhóm nhiệm vụ trọng tâm) and evaluations: groups of tasks a body gave for a
year or a period, their progress as of a date, the grades the office records for groups and for
units over a period (with revisions), the grade the product proposes by the admin's thresholds,
and the report's key-task sentence."""
