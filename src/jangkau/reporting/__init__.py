"""Reporting: coverage summaries per village and month, rollups to every level, dashboards, scorecard, exports."""
