package imageprep

import "headshot/imageprep/jpegscale"

// JPEGs decode through the DCT-scaling decoder: a 1/2, 1/4 or 1/8 decode
// costs a fraction of a full one and keeps the 2x headroom the output needs.
func init() { jpegScaledDecode = jpegscale.Decode }
