/** The {@code mps3} command. */
@NullMarked
package io.mps3.cli;

import org.jspecify.annotations.NullMarked;
