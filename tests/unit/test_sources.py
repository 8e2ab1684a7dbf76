import pytest

from ingest.sources import SourceConfigError, load_sources


def write(tmp_path, text):
    path = tmp_path / "sources.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_sources_file_enables_only_the_sample_corpus():
    sources = load_sources()
    assert [s.name for s in sources] == ["sample"]
    assert sources[0].resolved_path().is_dir()
    assert len(load_sources(include_disabled=True)) > 1


@pytest.mark.parametrize("text, message", [
    ("sources: 3", "top-level 'sources:' list"),
    ("sources:\n  - name: a\n    kind: ftp", "'kind' must be one of"),
    ("sources:\n  - name: A B\n    kind: rss\n    url: http://x", "'name' must be"),
    ("sources:\n  - name: a\n    kind: rss", "needs 'url'"),
    ("sources:\n  - name: a\n    kind: directory", "needs 'path'"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x'}\n  - {name: a, kind: rss, url: 'http://y'}", "used twice"),
    ("sources:\n  - {name: a, kind: rss, url: 'http://x', lang: fr}", "'lang' must be"),
    ("sources: [", "cannot read"),
])
def test_malformed_sources_file_names_the_problem(tmp_path, text, message):
    with pytest.raises(SourceConfigError, match=message):
        load_sources(write(tmp_path, text))


def test_disabled_sources_are_skipped(tmp_path):
    path = write(tmp_path, "sources:\n  - {name: a, kind: rss, url: 'http://x', enabled: false}\n"
                           "  - {name: b, kind: directory, path: d}")
    assert [s.name for s in load_sources(path)] == ["b"]
