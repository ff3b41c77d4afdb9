"""Check rendered notebook pages: each has a title, no error output, and every image and local link resolves.
Usage: python scripts/check_site.py SITE_DIR NOTEBOOK...   (exit 1 listing every problem)"""
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

class Page(HTMLParser):
    def __init__(self):
        super().__init__(); self.h1, self.errors, self.refs, self._in_h1 = '', 0, [], False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'h1': self._in_h1 = True
        if tag == 'img' and a.get('src'): self.refs.append(('image', a['src']))
        if tag == 'a' and a.get('href'): self.refs.append(('link', a['href']))
    def handle_endtag(self, tag):
        if tag == 'h1': self._in_h1 = False
    def handle_data(self, data):
        if self._in_h1: self.h1 += data
        if 'Traceback (most recent call last)' in data: self.errors += 1

def problems(site:Path, notebook:str):
    page = site / (Path(notebook).stem + '.html')
    if not page.exists(): return [f"{page}: missing"]
    p = Page(); p.feed(page.read_text(encoding='utf-8'))
    found = [] if p.h1.strip() else [f"{page.name}: no title (# heading)"]
    if p.errors: found.append(f"{page.name}: {p.errors} error output(s)")
    for kind, ref in p.refs:
        url = urlparse(ref)
        if url.scheme in ('http', 'https', 'mailto', 'data') or ref.startswith('#'): continue
        target = (site / unquote(url.path)) if url.path else page
        if not target.exists(): found.append(f"{page.name}: {kind} {ref} does not resolve")
    return found

if __name__ == '__main__':
    site, notebooks = Path(sys.argv[1]), sys.argv[2:]
    found = [m for nb in notebooks for m in problems(site, nb)]
    print('\n'.join(found) or f"ok: {len(notebooks)} pages in {site}: titles, no errors, images and local links resolve")
    sys.exit(1 if found else 0)
