#!/usr/bin/python3
"""Copy the feature table and count line of docs/fields.md into README.md."""
import os
import re

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
TABLE = re.compile(r'\| Family \| Fields \|\n(?:\|.*\|\n)+')
COUNT = re.compile(r'^\d+ fields: .*$', re.M)

doc = open(os.path.join(ROOT, 'docs', 'fields.md')).read()
readme_path = os.path.join(ROOT, 'README.md')
readme = open(readme_path).read()
readme = TABLE.sub(lambda m: TABLE.search(doc).group(0), readme)
readme = COUNT.sub(lambda m: COUNT.search(doc).group(0), readme)
open(readme_path, 'w').write(readme)
