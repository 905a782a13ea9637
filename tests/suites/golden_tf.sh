#!/bin/sh
# golden_tf.sh - every example's Terraform configuration, byte for byte,
# against tests/golden-tf/<example>/terraform/, and determinism: the check
# of golden.sh, applied to `--only tf`.
#
#   tests/suites/golden_tf.sh                   compare (a suite of tests/run.sh)
#   UPDATE_GOLDEN=1 tests/suites/golden_tf.sh   rewrite tests/golden-tf/, then
#                                               review (git diff tests/golden-tf)
GOLDEN_NAME=golden_tf GOLDEN_ONLY=tf GOLDEN_DIR=tests/golden-tf GOLDEN_SUB=terraform \
	GOLDEN_PROOF=terraform/versions.tf exec sh tests/suites/golden.sh
