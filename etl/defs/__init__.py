"""Dagster definitions: every module here is collected by etl.definitions (dg's defs folder layout).

The assets are thin: they call the pipeline steps in etl.pipeline and report what happened.
"""
