from resolution_archive.cli import main

main()
