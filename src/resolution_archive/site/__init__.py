"""`archive site`: the archive as a static web site that needs no server, database or network.

`build.build_site` gathers plain records from the store, `pages.Renderer` turns them into
files (path → bytes, no I/O) and `output.write_site` writes only the files whose bytes changed.
"""
