"""User administration in the browser (issue 22): accounts, their role and territory, one-time password links."""
