"""The short form of `make load`: the real app in its own process, conversations at once
through its API, each answer the one the question gets alone."""

from bench.load import conversations, run_load, running_app


def test_concurrent_conversations_get_the_answers_they_get_alone(corpus_components):
    settings = corpus_components.settings
    env = {"ASSISTENT_CORPUS_DIR": str(settings.corpus_dir), "ASSISTENT_DATA_DIR": str(settings.data_dir)}
    with running_app(env) as url:
        result = run_load(url, conversations(8, 3), timeout_s=300)
    print(result.table())
    assert result.errors == []
    assert result.different == []
    assert len(result.together_ms) == 8 * 3
