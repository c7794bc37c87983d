package face

import "headshot/imageprep/face/internal/facetest"

// The shared test photos and canvas helpers (package facetest).
type facePhoto = facetest.Photo

var (
	loadPhoto     = facetest.Load
	scaledCopy    = facetest.ScaledCopy
	onCanvas      = facetest.OnCanvas
	facePhotos    = facetest.FacePhotos
	nonFacePhotos = facetest.NonFacePhotos
)
