"""tflib.py - shared by the Terraform checks in tests/tf/: read a
configuration through tfdump (HashiCorp's HCL parser, tests/tf/tfdump) and
walk what it found.  Python standard library only."""
import json
import os
import subprocess


class Config:
    """A Terraform configuration: the top-level blocks of every .tf file
    of one directory, as tfdump printed them."""

    def __init__(self, tfdump, directory):
        files = sorted(os.path.join(directory, f) for f in os.listdir(directory)
                       if f.endswith(".tf"))
        self.directory = directory
        self.files = [os.path.basename(f) for f in files]
        self.errors = []
        self.blocks = []
        if not files:
            self.errors.append(f"{directory}: no .tf files")
            return
        proc = subprocess.run([tfdump] + files, capture_output=True, text=True, check=False)
        try:
            data = json.loads(proc.stdout)
        except ValueError:
            self.errors.append(f"tfdump failed (exit {proc.returncode}): {proc.stderr.strip()}")
            return
        self.errors.extend(data["errors"])
        self.blocks = data["blocks"]

    def of_type(self, kind):
        return [b for b in self.blocks if b["type"] == kind]

    def resources(self):
        """{(type, name): block} of every resource block."""
        return {(b["labels"][0], b["labels"][1]): b for b in self.of_type("resource")}


def where(block, attr=None):
    """file:line of a block (or of one of its attributes)."""
    line = block["attrs"][attr]["line"] if attr else block["line"]
    return f"{block['file']}:{line}"


def walk_attrs(block, path=()):
    """Every (path, name, attr) of a block and its nested blocks."""
    for name, a in block["attrs"].items():
        yield path, name, a
    for nb in block["blocks"]:
        yield from walk_attrs(nb, path + (nb["type"],))


def is_placeholder(value):
    """A value that is one whole reference, "${a.b.c}" (its type is the
    referenced attribute's, which only a real plan would know)."""
    return (isinstance(value, str) and value.startswith("${") and value.endswith("}")
            and value.count("${") == 1)
