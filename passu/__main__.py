from passu.cli.main import main

main()
