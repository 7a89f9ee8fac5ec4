"""National-scale data: `generate_scale` builds a realistic data set of any size.

`run.generate` adds staff in proportion to the number of cases (`staff`), writes the
cases with their intake through the demo generator, then everything after the start of
the PGA in bulk (`execution`), with the audit events the services would have written
(`sink`), and optionally extra page-view events. Every stage is timed.
"""
