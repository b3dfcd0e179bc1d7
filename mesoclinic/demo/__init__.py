"""The demo clinic that `make run` loads: staff of every role, about 50 patients at every
stage, products and lots, all built through the apps' own actions."""
