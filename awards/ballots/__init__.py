"""Ballots (bình xét, suy tôn): online votes and paper counts, the count and its rules, the
vote-count record, the year-end minutes' results and next year's head and deputy (issue 11)."""
