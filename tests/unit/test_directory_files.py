"""directory_files lists what rglob + is_file + the suffix filter listed, in the same order, from os.scandir."""

from pathlib import Path

from ingest.collect import _file_url
from ingest.discover import ARTICLE_SUFFIXES, directory_files
from ingest.sources import SourceConfig


def rglob_reference(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES)


def tree(root: Path) -> None:
    for name in ("a/x.html", "a-b/x.html", "a.b/y.htm", "A/z.HTML", "a/deep/er/n.txt", "top.html", ".html",
                 "notes.md", "a/page.html.bak", "ü/é.html", "a/0.html"):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "o.html").write_text("o", encoding="utf-8")
    (root / "linked_folder").symlink_to(outside)  # not entered, as rglob does not enter it
    (root / "link.html").symlink_to(root / "top.html")  # a link to a file is a file
    (root / "dangling.html").symlink_to(root / "missing.html")  # is_file() is false
    (root / "dir.html").mkdir()  # a folder with an article suffix is not a file
    (root / "dir.html" / "inner.htm").write_text("i", encoding="utf-8")


def test_directory_files_equal_the_rglob_listing_in_order(tmp_path):
    root = tmp_path / "corpus"
    tree(root)
    files = directory_files(SourceConfig(name="d", kind="directory", path=str(root), max_articles=1000))
    assert [f.path for f in files] == rglob_reference(root)
    assert [f.path.name for f in files if f.is_symlink] == ["link.html"]
    assert len(files) >= 9


def test_max_articles_keeps_the_first_files_in_path_order(tmp_path):
    root = tmp_path / "corpus"
    tree(root)
    files = directory_files(SourceConfig(name="d", kind="directory", path=str(root), max_articles=3))
    assert [f.path for f in files] == rglob_reference(root)[:3]


def test_file_urls_from_directory_entries_equal_the_resolved_ones(tmp_path):
    root = tmp_path / "corpus"
    tree(root)
    cache: dict = {}
    files = directory_files(SourceConfig(name="d", kind="directory", path=str(root), max_articles=1000))
    assert [_file_url(f.path, cache, f.is_symlink) for f in files] == [_file_url(f.path) for f in files]
