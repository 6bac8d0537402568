"""Reading YAML: positions, duplicate keys, values YAML 1.1 would change, hostile files."""

import pytest

from builder.content.load import MAX_BYTES, decode, parse, read_document


def read(text: str):
    document, problems = parse(text, "f.yaml")
    return document.data, [p.format() for p in problems]


@pytest.mark.parametrize(
    "text, value",
    [
        ("code_postal: 06560", "06560"),
        ("code_postal: 01000", "01000"),
        ("code_postal: 2A004", "2A004"),
        ("pays: NO", "NO"),
        ("actif: yes", "yes"),
        ("actif: on", "on"),
        ("date: 07/06/2019", "07/06/2019"),
        ("date: 2019-6-7", "2019-6-7"),
        ("date: 2019-06-07", "2019-06-07"),
        ("nsf: 326", 326),
        ("niveau: 6", 6),
        ("lat: 45.76", 45.76),
        ("actif: true", True),
        ("actif: False", False),
        ("actif:", None),
        ("actif: ~", None),
        ("heure: 12:30", "12:30"),
        ("x: .inf", ".inf"),
        ("x: 0o17", "0o17"),
        ("x: 0x1F", "0x1F"),
        ("x: 1_000", "1_000"),
    ],
)
def test_scalars_keep_what_the_editor_wrote(text, value):
    data, problems = read(text)
    assert problems == []
    assert data[text.split(":")[0]] == value
    assert type(data[text.split(":")[0]]) is type(value)


def test_quoted_values_are_always_text():
    data, _ = read('a: "6"\nb: \'true\'\nc: "null"')
    assert data == {"a": "6", "b": "true", "c": "null"}


def test_positions_of_values_and_keys_are_recorded():
    document, _ = parse("numero: RNCP1\nblocs:\n  - code: X\n    libelle: Y\n", "f.yaml")
    assert document.values[("blocs", 0, "code")] == (3, 11)
    assert document.keys[("blocs", 0, "libelle")] == (4, 5)
    assert document.position(("blocs", 0, "missing")) == (3, 5)


def test_duplicate_keys_are_errors_naming_both_lines():
    data, problems = read("a: 1\nb: 2\na: 3\n")
    assert problems == ["f.yaml:3:1: a: duplicate key: `a` is already set on line 1; keep only one"]
    assert data == {"a": 1, "b": 2}


def test_nested_duplicate_keys():
    _, problems = read("blocs:\n  - code: A\n    code: B\n")
    assert problems == ["f.yaml:3:5: blocs[0].code: duplicate key: `code` is already set on line 2; keep only one"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "f.yaml:1:1: the file is empty; a fiche starts with `numero: RNCP…`"),
        ("# only a comment\n", "f.yaml:1:1: the file is empty; a fiche starts with `numero: RNCP…`"),
        ("- a\n- b\n", "f.yaml:1:1: expected fields (`key: value` lines) at the top of the file, found a list"),
        ("juste du texte\n", "f.yaml:1:1: expected fields (`key: value` lines) at the top of the file, found a single value"),
        ('a: "non fermé\nb: 2\n', "f.yaml:1:4: invalid YAML: found unexpected end of stream (while scanning a quoted scalar); a quote was opened and never closed"),
        ("a:\n\tb: 1\n", "f.yaml:2:1: invalid YAML: found character that cannot start any token (while scanning for the next token); indent with spaces, not tabs"),
        ("a: 1\n b: 2\n", "f.yaml:2:3: invalid YAML: mapping values are not allowed in this context; put text containing `: ` in quotes, or check the indentation"),
        ("a: 1\n---\nb: 2\n", "f.yaml:2:1: a fiche file holds one YAML document, found a second one; remove the extra `---`"),
        ("x: !!python/object:os.system 1\n", "f.yaml:1:4: x: YAML tags such as tag:yaml.org,2002:python/object:os.system are not allowed; remove the tag"),
        ("1: a\n", "f.yaml:1:1: expected a field name, found 1; field names are words"),
    ],
)
def test_unreadable_files_give_one_clear_line(text, expected):
    data, problems = read(text)
    assert problems == [expected]


def test_aliases_are_refused():
    _, problems = read("a: &x 1\nb: *x\n")
    assert problems == ["f.yaml:2:1: b: anchors and aliases (& and *) are not allowed in fiches; write the value out in full"]


def test_billion_laughs_is_refused_with_bounded_memory():
    import tracemalloc

    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    text = "\n".join(lines)  # expanded, it would hold 9**30 strings
    tracemalloc.start()
    try:
        data, problems = read(text)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * len(text) + 1_000_000  # the size of the node tree, not of the expansion
    assert data is None
    assert problems == ["f.yaml:2:5: a1[0]: anchors and aliases (& and *) are not allowed in fiches; write the value out in full"]


def test_bom_and_crlf_are_accepted():
    text, problems = decode("\ufeffnumero: RNCP1\r\nintitule: é\r\n".encode(), "f.yaml")
    assert problems == []
    data, problems = read(text)
    assert data == {"numero": "RNCP1", "intitule": "é"}


def test_latin1_file_is_named_as_such():
    text, problems = decode("numero: RNCP1\nintitule: Électricien\n".encode("cp1252"), "f.yaml")
    assert text is None
    assert [p.format() for p in problems] == [
        "f.yaml:2:11: the file is not UTF-8 (byte 0xc9); it looks like Windows-1252 (Latin-1); save it as UTF-8 in your editor"
    ]


def test_utf16_is_refused():
    _, problems = decode("a: 1".encode("utf-16"), "f.yaml")
    assert problems[0].message == "the file is UTF-16, expected UTF-8; save it as UTF-8"


def test_oversized_file_is_refused(tmp_path):
    big = tmp_path / "rncp1.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_BYTES + b"\n")
    _, problems = read_document(big, "rncp1.yaml")
    assert "more than the 1,048,576 allowed" in problems[0].message
