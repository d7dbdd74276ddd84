"""Labour services (job-seeker card, complaints, counselling) and the manpower office's pages."""
