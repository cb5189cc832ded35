// The test runner's main(): made here by Catch2 2.x; 3.x links its own (Catch2WithMain).
#define CATCH_CONFIG_MAIN
#include "catch.hpp"
