"""The job queue (huey) set-up, the task record and the schedule; each domain's tasks.py holds its tasks."""
