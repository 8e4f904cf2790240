/**
 * Whole meshes of real nodes on the simulated network, and what a scenario measures of them:
 * shared by tests, which assert on the figures, and by the benchmarks, which print them.
 */
package dev.meshkit.testkit.scenario;
