"""Benchmarks (issue 7): ingestion, re-ingestion, query latency, start-up, memory and growth,
against the plain LlamaIndex pipeline and the embedding model's own limit.

`python -m bench` prints a table and writes bench/results.md and bench/growth.png.
Nothing here asserts on time: the figures are a report, not a test.
"""

# The benchmark must never reach a model hub or send telemetry, in this process or its children.
OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}
