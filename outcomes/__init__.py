"""After the award: contract outcomes, returns, payment by results and performance ratings."""
