"""How many worker processes, and reading + parsing directory files (what each worker runs)."""

import pytest

from ingest.workers import WORKERS_ENV, read_files, worker_count


@pytest.mark.parametrize("items, parallel_min, env, expected", [
    (500, 500, "2", 1),     # the threshold itself stays in this process
    (501, 500, "2", 2),     # above it: the configured count
    (501, 500, "0", 1),     # never fewer than one
    (10, 0, None, None),    # unset: one per core
])
def test_worker_count(monkeypatch, items, parallel_min, env, expected):
    import os

    if env is None:
        monkeypatch.delenv(WORKERS_ENV, raising=False)
        expected = max(1, os.cpu_count() or 1)
    else:
        monkeypatch.setenv(WORKERS_ENV, env)
    assert worker_count(items, parallel_min) == expected


def test_read_files_parses_pages_reads_text_and_reports_a_missing_file(tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html lang='en'><head><title>T</title><link rel='canonical' href='https://x.example/p'>"
                    "</head><body><article><p>Acme raised $5 million in a seed round.</p></article></body></html>",
                    encoding="utf-8")
    (tmp_path / "n.txt").write_bytes("  软银投资 OpenAI  \n".encode("gb18030"))
    html, text, missing = read_files([(str(page), "file:p.html"), (str(tmp_path / "n.txt"), "file:n.txt"),
                                      (str(tmp_path / "gone.html"), "file:gone.html")])
    assert (html.title, html.lang, html.canonical_url, html.error) == ("T", "en", "https://x.example/p", None)
    assert "Acme raised $5 million" in html.body_text and html.nbytes == page.stat().st_size
    assert (text.body_text, text.title, text.error) == ("软银投资 OpenAI", None, None)
    assert missing.error.startswith("FileNotFoundError") and missing.nbytes == 0 and missing.body_text == ""


def test_a_pool_given_back_serves_the_next_caller_then_shuts_down_when_idle(monkeypatch):
    import os
    import time

    import ingest.workers

    monkeypatch.setattr(ingest.workers, "POOL_IDLE_S", 0.5)
    with ingest.workers.process_pool(2) as first:
        assert first._mp_context.get_start_method() == "spawn"
        pid = first.submit(os.getpid).result()
    with ingest.workers.process_pool(2) as second:  # the next source: same pool, same processes
        assert second is first and second.submit(os.getpid).result() in second._processes
        assert pid in second._processes  # the worker that ran the first task is still there
    with ingest.workers.process_pool(1) as other:  # another worker count: another pool, the kept one ends
        assert other is not first and first._shutdown_thread
    deadline = time.monotonic() + 10
    while ingest.workers._idle is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ingest.workers._idle is None and other._shutdown_thread  # idle past POOL_IDLE_S: shut down
