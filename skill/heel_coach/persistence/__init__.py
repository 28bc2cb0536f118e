"""Persistence: the store protocol (``store``), the embedded SQLite store (``sqlite_store``,
the default), the DynamoDB store (``dynamodb_store``, with ``HEELCOACH_STORE=dynamodb``), the
factory that picks one (``factory``) and the ask-sdk adapter (``adapter``).

Nothing is imported here: importing one submodule must not load the others (a Lambda on
DynamoDB never needs sqlite3, a server on SQLite never needs boto3).
"""
