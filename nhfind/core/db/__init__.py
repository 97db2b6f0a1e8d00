"""The database: its schema, the writer, read-only access, ranking, which file to open and the layers over it.

Below nhfind.core.search and the other query modules; above models, dataset and files.
"""
