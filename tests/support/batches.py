"""The batch size at which tests make the stamping service use worker processes.

The product starts worker processes only for large batches (300 documents by
default); tests lower that with ``SEALDESK_PROCESS_BATCH`` so that a batch of
this size takes the process path in reasonable time.
"""

WORKER_BATCH = 24
