#!/usr/bin/env python3
"""Turn a generated gazette site into the equivalent Hugo site, for side-by-side benchmarks.

Usage: hugo_site.py GAZETTE_SITE HUGO_SITE

Same entries (YAML front matter, Markdown bodies), `partners` and `topics` taxonomies,
term pages paginated by 50, a home page, a feed and a sitemap; minimal layouts with the same
page set as gazette's (entry pages, paginated partner and topic pages, their indexes).
"""
import os
import re
import shutil
import sys

src, dst = sys.argv[1], sys.argv[2]
if os.path.exists(dst):
    shutil.rmtree(dst)
os.makedirs(os.path.join(dst, "layouts", "_default"))

with open(os.path.join(dst, "config.yaml"), "w") as f:
    f.write(
        "baseURL: https://example.org/\n"
        "title: Bench\n"
        "paginate: 50\n"
        "disableKinds: [RSS]\n"
        "outputs:\n  home: [HTML, RSS]\n"
        "taxonomies:\n  partner: partners\n  topic: topics\n"
        "markup:\n  goldmark:\n    renderer:\n      unsafe: false\n"
    )

layouts = {
    "baseof.html": "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
    "<title>{{ .Title }} — {{ .Site.Title }}</title></head><body>"
    "<nav><a href=\"/\">Home</a></nav><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "single.html": "{{ define \"main\" }}<article><h1>{{ .Title }}</h1>"
    "<time>{{ .Date.Format \"2 January 2006\" }}</time>"
    "<ul>{{ range .GetTerms \"partners\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>"
    "<ul>{{ range .GetTerms \"topics\" }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>"
    "{{ .TableOfContents }}{{ .Content }}"
    "{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}"
    "{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</article>{{ end }}",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }} {{ .Summary }}</li>"
    "{{ end }}</ul>{{ template \"_internal/pagination.html\" . }}{{ end }}",
    "terms.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}"
    "<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}",
    "index.html": "{{ define \"main\" }}<h1>{{ .Site.Title }}</h1><ul>{{ range first 10 .Site.RegularPages.ByDate.Reverse }}"
    "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}",
}
for name, text in layouts.items():
    with open(os.path.join(dst, "layouts", "_default", name), "w") as f:
        f.write(text)
os.rename(
    os.path.join(dst, "layouts", "_default", "index.html"),
    os.path.join(dst, "layouts", "index.html"),
)

keep = re.compile(r"^(title|date|partners|topics|location|summary):")
for root, _, files in os.walk(os.path.join(src, "content")):
    for name in files:
        if not name.endswith(".md"):
            continue
        rel = os.path.relpath(os.path.join(root, name), os.path.join(src, "content"))
        out = os.path.join(dst, "content", rel)
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(os.path.join(root, name)) as f:
            text = f.read()
        head, _, body = text[4:].partition("\n---\n")
        lines, current = [], None
        for line in head.split("\n"):
            if line and not line.startswith((" ", "-")):
                current = keep.match(line)
            if current:
                lines.append(line)
        with open(out, "w") as f:
            f.write("---\n" + "\n".join(lines) + "\n---\n" + body)
