"""The evidence-data stage: outcome definitions, the results entries report, syntheses
(pooled with statsmodels), GRADE certainty, forest plots and summary-of-findings rows.

content/outcomes.yaml + entries' `outcomes` + questions' `syntheses`
  -> checked rows and syntheses (diagnostics) -> pooled results -> what the pages show
"""
