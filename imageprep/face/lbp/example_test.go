package lbp_test

import (
	"fmt"
	"image/jpeg"
	"os"

	"headshot/imageprep/face/lbp"
)

func ExampleDetect() {
	f, err := os.Open("../../testdata/faces/grace_hopper.jpg")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	ds := lbp.Detect(img)
	if len(ds) == 0 || ds[0].Score < lbp.Confident {
		fmt.Println("no confident face: use a saliency crop")
		return
	}
	fmt.Println(len(ds), "face at", ds[0].Rect)
	// Output: 1 face at (189,156)-(339,306)
}
