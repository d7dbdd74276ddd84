"""Messages that reach people: SMS, WhatsApp and e-mail channels, templates as data, consent, delivery status."""
