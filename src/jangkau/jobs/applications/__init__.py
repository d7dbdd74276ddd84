"""Applications of job seekers to vacancies."""
