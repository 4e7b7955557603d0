/** The built-in stores: in memory, a local directory (the embedded default), and S3 over HTTP. */
@NullMarked
package io.mps3.store;

import org.jspecify.annotations.NullMarked;
