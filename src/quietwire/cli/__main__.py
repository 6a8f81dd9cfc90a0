from quietwire.cli import main

main()
