from resolution_archive.cli import run

run()
