"""pscompat.connect"""
