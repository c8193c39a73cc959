"""The workflows, locally: ``make ci`` without Docker, and the check names they report.

model (workflow files as data), checks (the check names branch protection requires),
expressions, plan (jobs, order, matrix), scheduler (jobs in parallel), job (a job's steps),
actions (the registry of local equivalents), artifacts, output, switch (triggers on/off).
"""
