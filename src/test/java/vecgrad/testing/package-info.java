/** Helpers shared by the tests of several packages (test code only). */
package vecgrad.testing;
