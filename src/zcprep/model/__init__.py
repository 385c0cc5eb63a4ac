"""The notice config, the applicant's fields and the workspace: what every verb reads."""
