/**
 * Building blocks of the simulator that are not part of its API: the event queue and seed
 * derivation. Not exported; may change at any time.
 */
package dev.meshkit.testkit.internal;
