"""Steering (issue 14): management information, the PGA-scan and the needs-vs-interventions
matrix. Reads the domain only through aggregate queries; never shows a name, BSN, case code
or free text."""
