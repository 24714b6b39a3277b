"""Seal images (印章图像): templates drawn at true size, or imported artwork."""
