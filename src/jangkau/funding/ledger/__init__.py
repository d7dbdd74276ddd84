"""The office's money desk in the browser: payments by hand, statements, a member's payment history."""
