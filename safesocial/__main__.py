from safesocial.cli import main

main()
