"""pscompat.shapes"""
