"""Joint tenders: lots, buyers, questions, sealed responses, evaluation, award and OCDS open data."""
