// Package all registers every platform client headshot is built with:
// importing it (blank) makes each platform's upload.Descriptor known. A new
// platform is one package of its own plus one import line here.
package all

import (
	_ "headshot/upload/google"   // registers google
	_ "headshot/upload/igloo"    // registers igloo
	_ "headshot/upload/interact" // registers interact
	_ "headshot/upload/m365"     // registers m365
	_ "headshot/upload/netex"    // registers netex
	_ "headshot/upload/rhombus"  // registers rhombus
	_ "headshot/upload/zoom"     // registers zoom
)
