"""Outreach campaigns: pages, the funnel and leaderboards."""
