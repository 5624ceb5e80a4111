"""The identifier services (Crossref, PubMed, the PMC id converter, ClinicalTrials.gov) and
the polite HTTP client they share."""
